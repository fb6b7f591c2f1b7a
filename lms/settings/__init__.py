"""Settings split as in bakerydemo: base, dev (the default), test and production.

`DJANGO_ENV` (dev, test, production) picks the module in manage.py, asgi.py and wsgi.py.
"""

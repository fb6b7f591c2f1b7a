"""Websocket URLs: the live room of a webinar page. Wired into lms/asgi.py behind the origin check and auth."""

from django.urls import path

from .consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/webinars/<int:webinar_id>/", RoomConsumer.as_asgi()),
]

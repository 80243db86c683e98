from django.urls import path

from everychild.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="messages"),
    path("<int:message_id>/send-again/", views.send_again, name="send-again"),
]

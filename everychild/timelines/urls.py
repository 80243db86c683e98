from django.urls import path

from everychild.timelines import views

app_name = "timeline"
urlpatterns = [path("", views.calculator, name="calculator")]

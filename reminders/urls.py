"""In-app notices, the links in reminder emails (snooze, unsubscribe) and the calendar feed."""

from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("accounts/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("reminders/snooze/<str:token>/", views.snooze, name="snooze"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("cases/<uuid:case>/steps/<uuid:step>/snooze/", views.snooze_step, name="snooze_step"),
]

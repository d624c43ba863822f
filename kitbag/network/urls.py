from django.urls import path

from kitbag.network import views

app_name = "network"

urlpatterns = [
    path("", views.people, name="people"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/ask/", views.ask_for_help, name="ask_for_help"),
    path("<int:pk>/mentoring/", views.ask_for_mentoring, name="ask_for_mentoring"),
    path("your-help/", views.your_help, name="your_help"),
    path("messages/", views.your_messages, name="messages"),
    path("messages/<int:pk>/", views.message_thread, name="message_thread"),
    path("messages/<int:pk>/report/", views.report_message, name="report_message"),
    path("mentoring/<int:pk>/", views.mentoring_detail, name="mentoring_detail"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/resolve/", views.resolve_report, name="resolve_report"),
]

from django.urls import path, register_converter

from kitbag.network import views


class RowId:
    """A row id: up to 18 digits, so an absurd number is a 404 by routing rather than an error
    when the database is asked for it (SQLite's integers are 64-bit)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowId, "row_id")

app_name = "network"

urlpatterns = [
    path("", views.people, name="people"),
    path("<row_id:pk>/", views.person_detail, name="person_detail"),
    path("<row_id:pk>/ask/", views.ask_for_help, name="ask_for_help"),
    path("<row_id:pk>/mentoring/", views.ask_for_mentoring, name="ask_for_mentoring"),
    path("your-help/", views.your_help, name="your_help"),
    path("messages/", views.your_messages, name="messages"),
    path("messages/<row_id:pk>/", views.message_thread, name="message_thread"),
    path("messages/<row_id:pk>/report/", views.report_message, name="report_message"),
    path("mentoring/<row_id:pk>/", views.mentoring_detail, name="mentoring_detail"),
    path("reports/", views.reports, name="reports"),
    path("reports/<row_id:pk>/resolve/", views.resolve_report, name="resolve_report"),
]

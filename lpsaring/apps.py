from django.apps import AppConfig


class LpsaringConfig(AppConfig):
    name = "lpsaring"

from django.contrib.auth.base_user import BaseUserManager

from core.phone import normalize_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, full_name="", password=None, **extra):
        user = self.model(phone=normalize_phone(phone), full_name=full_name, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, full_name="", password=None, **extra):
        extra.setdefault("role", "SUPER_ADMIN")
        extra.setdefault("approval_status", "APPROVED")
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, full_name, password, **extra)

"""Admin building blocks shared by every app: confirmed object actions and read-only admins."""

"""Hotspot hygiene: free riders on the client subnets and the walled garden for payments."""

"""django.contrib.admin with the portal's admin site (accounts/admin_site.py) as the default site."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.PortalAdminSite"

"""Operating an installation: backup and restore, schema upgrades, health checks.

Used by the command line (``jianfu backup|restore|upgrade|health``) and by the
public server's ``/healthz`` path; nothing here imports pandas or Voila.
"""

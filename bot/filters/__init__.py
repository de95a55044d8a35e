"""aiogram filters shared by routers."""

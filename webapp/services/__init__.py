"""Domain logic as plain functions, shared by the HTML views and the JSON API."""

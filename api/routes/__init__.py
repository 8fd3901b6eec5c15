"""The API's routers, one per group of endpoints; ``api.app.create_app`` includes them."""

"""Request and response models of the API; they also generate the OpenAPI document."""

"""The app's JSON provider: bounded parsing of requests, orjson for answers."""


def test_answers_orjson_cannot_encode_are_encoded_by_flask(app):
    """orjson refuses integers past 64 bits; such an answer is still written, sorted and
    compact, by Flask's own encoder."""
    with app.test_request_context():
        response = app.json.response({"b": 10**30, "a": "ok"})
    assert response.get_data() == b'{"a":"ok","b":1000000000000000000000000000000}\n'

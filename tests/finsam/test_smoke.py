def test_login_page_is_swedish(client):
    response = client.get("/konto/logga-in/")
    assert response.status_code == 200
    assert "Logga in" in response.content.decode()


def test_start_redirects_to_the_users_forbund(client, kansli):
    client.force_login(kansli)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/uppsala/"

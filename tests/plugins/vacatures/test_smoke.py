from tests.plugins.vacatures.conftest import LIST, post_vacancy


def test_publish_and_list(client, editor):
    item = post_vacancy(client, editor)
    listed = client.get(LIST.format(loket="alpha")).json
    assert [v["id"] for v in listed["items"]] == [item["id"]]
    assert listed["facets"]["sector"] == {"po": 1}
    detail = client.get(f"{LIST.format(loket='alpha')}/{item['slug']}").json
    assert detail["jsonLd"]["@type"] == "JobPosting"

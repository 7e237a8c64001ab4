"""A participant's name is kept in the store under the hash of the browser's token."""

from sqlalchemy import select

from kommunestrategi.store import Store
from kommunestrategi.store import participants as p
from kommunestrategi.store.tables_participants import participants as table


def test_name_survives_a_new_store_on_the_same_database(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    store = Store.open(url)
    token = p.new_token()
    assert p.get(store, token) is None
    first = p.ensure(store, token)
    assert first.name == ""
    renamed = p.rename(store, token, "  Kari   Nordmann ")
    assert renamed.id == first.id and renamed.name == "Kari Nordmann"
    store.close()
    again = Store.open(url)  # a restarted server
    found = p.get(again, token)
    assert found is not None and found.id == first.id and found.name == "Kari Nordmann"
    with again.engine.connect() as conn:
        hashes = conn.execute(select(table.c.token_hash)).scalars().all()
    assert token not in hashes  # only the hash is stored
    other = p.ensure(again, p.new_token(), "Ola")
    assert other.id != first.id and other.name == "Ola"
    again.close()


def test_malformed_tokens_are_refused(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    for bad in ("", "short", "x" * 65, "a b c d e f g h i j k l m n", None, "'; DROP TABLE participants;--xxxx"):
        assert p.get(store, bad) is None
    assert not p.valid_token("ÆØÅæøåÆØÅæøåÆØÅæøåÆØÅæøå")
    store.close()

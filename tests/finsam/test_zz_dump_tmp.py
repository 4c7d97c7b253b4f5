import datetime
from tests.factories import *
from finsam.models import *

def test_dump(client, kansli, forbund, heby, tierp, region):
    LedamotFactory(medlem=heby, name="Anna", party="S", chair_role="ordforande")
    m = SammantradeFactory(forbund=forbund, date=datetime.date(2026, 9, 15))
    a = ArendeFactory(sammantrade=m, number=1, title="Ansökan")
    BeslutFactory(forbund=forbund, arende=a)
    InsatsFactory(forbund=forbund, agare=heby)
    client.force_login(kansli)
    for name, url in [("ml", "/uppsala/medlemmar/"), ("md", f"/uppsala/medlemmar/{heby.pk}/"),
                      ("mf", "/uppsala/medlemmar/ny/"), ("ll", "/uppsala/styrelsen/?alla=1"),
                      ("lf", "/uppsala/styrelsen/ny/"), ("sl", "/uppsala/sammantraden/"),
                      ("sd", f"/uppsala/sammantraden/{m.pk}/"), ("sf", f"/uppsala/sammantraden/{m.pk}/andra/")]:
        r = client.get(url)
        assert r.status_code == 200
        open(f"/tmp/finsam_pages/{name}.html", "w").write(r.content.decode())

"""The Huế demo's staff accounts (created by ``flask demo load`` only, never in production)."""
from sqlalchemy import text

from reports.accounts.staff import create_user
from reports.models import ReplyTemplate
from store import db

DEMO_DOMAIN = "demo.local"
DEMO_TEMPLATES = [
    ("Đã tiếp nhận", "Phường đã tiếp nhận phản ánh và giao cán bộ phụ trách kiểm tra, xử lý."),
    ("Đã xử lý xong", "Phường đã kiểm tra và xử lý xong vụ việc. Cảm ơn bạn đã phản ánh."),
    ("Không thuộc thẩm quyền", "Nội dung phản ánh không thuộc thẩm quyền của phường; đã hướng dẫn chuyển đơn vị có thẩm quyền."),
]


def create_demo_accounts(province_code: str, password: str, hash_method: str) -> int:
    """``officer.W`` (environment) and ``lead.W`` per ward W, plus the city-wide roles."""
    codes = db.session.execute(text(
        "SELECT DISTINCT code FROM admin_unit WHERE level = 'ward' AND province_code = :p ORDER BY code"),
        {"p": province_code}).scalars().all()
    for code in codes:
        create_user(f"officer.{code}@{DEMO_DOMAIN}", "officer", password, code, ["environment"],
                    f"Cán bộ môi trường {code}", hash_method)
        create_user(f"lead.{code}@{DEMO_DOMAIN}", "ward_lead", password, code, [], f"Lãnh đạo phường {code}",
                    hash_method)
    for role, name in (("dispatcher", "Điều phối viên"), ("leader", "Lãnh đạo thành phố"), ("admin", "Quản trị viên")):
        create_user(f"{role}@{DEMO_DOMAIN}", role, password, display_name=name, method=hash_method)
    if not db.session.query(ReplyTemplate).count():
        db.session.add_all(ReplyTemplate(title=t, body=b) for t, b in DEMO_TEMPLATES)
    return 2 * len(codes) + 3

"""Categories of issues, grouped by field; names in Vietnamese and English."""
from typing import NamedTuple

from sqlalchemy import Boolean, Integer, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from store import autocommit_read, db

PRIORITIES = ("urgent", "normal", "complex")

# field code → (Vietnamese, English)
FIELDS = {
    "environment": ("Môi trường & vệ sinh", "Environment & sanitation"),
    "traffic": ("Giao thông & trật tự đô thị", "Traffic & urban order"),
    "infrastructure": ("Hạ tầng đô thị", "Infrastructure"),
    "construction": ("Trật tự xây dựng", "Construction order"),
    "land": ("Quản lý đất đai", "Land management"),
    "security": ("An ninh trật tự", "Security & order"),
    "food_safety": ("An toàn thực phẩm", "Food safety"),
    "fire": ("Phòng cháy chữa cháy", "Fire risk"),
    "administration": ("Thủ tục hành chính & thái độ cán bộ", "Administrative procedures & staff attitude"),
    "other": ("Khác", "Other"),
}

# (code, field, Vietnamese, English, default priority) — the demo's seed.
DEMO_CATEGORIES = [
    ("garbage", "environment", "Rác thải sinh hoạt", "Garbage", "normal"),
    ("illegal_dumping", "environment", "Đổ trộm phế thải", "Illegal dumping", "normal"),
    ("drainage_flooding", "environment", "Cống tắc, ngập úng", "Blocked drains / flooding", "urgent"),
    ("traffic_bottleneck", "traffic", "Ùn tắc giao thông", "Traffic bottleneck", "urgent"),
    ("encroachment", "traffic", "Lấn chiếm vỉa hè, lòng đường", "Sidewalk / roadway encroachment", "normal"),
    ("illegal_parking", "traffic", "Đỗ xe sai quy định", "Illegal parking", "normal"),
    ("pothole", "infrastructure", "Ổ gà, hư hỏng mặt đường", "Potholes / damaged road", "normal"),
    ("street_light", "infrastructure", "Đèn chiếu sáng công cộng hỏng", "Broken street light", "normal"),
    ("tree", "infrastructure", "Cây xanh gãy đổ, nguy hiểm", "Fallen or dangerous tree", "urgent"),
    ("illegal_construction", "construction", "Xây dựng sai phép, không phép", "Unlicensed construction", "complex"),
    ("land_violation", "land", "Lấn chiếm, sử dụng đất sai mục đích", "Land encroachment or misuse", "complex"),
    ("public_order", "security", "Mất an ninh trật tự", "Public order and security", "urgent"),
    ("food_safety", "food_safety", "Vệ sinh an toàn thực phẩm", "Food safety", "normal"),
    ("fire_risk", "fire", "Nguy cơ cháy nổ", "Fire risk", "urgent"),
    ("admin_procedure", "administration", "Thủ tục hành chính, thái độ cán bộ",
     "Administrative procedures, staff attitude", "complex"),
    ("other", "other", "Vấn đề khác", "Other issue", "normal"),
]


class Category(db.Model):
    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    field: Mapped[str] = mapped_column(String(50))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    default_priority: Mapped[str] = mapped_column(String(20), default="normal")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_vi

    def as_dict(self) -> dict:
        return category_dict(self.code, self.field, self.name_vi, self.name_en, self.default_priority)


def category_dict(code: str, field: str, name_vi: str, name_en: str, default_priority: str) -> dict:
    """A category as the API shows it (from a row or a :class:`Category`)."""
    vi, en = FIELDS.get(field, (field, field))
    return {"code": code, "name": {"vi": name_vi, "en": name_en}, "field": {"code": field, "name": {"vi": vi, "en": en}},
            "default_priority": default_priority}


def upsert_category(code, field, name_vi, name_en, priority="normal", active=True, sort_order=0):
    """Create or update one category (admins edit categories through this)."""
    if field not in FIELDS:
        raise ValueError(f"unknown field {field!r}; one of {', '.join(FIELDS)}")
    if priority not in PRIORITIES:
        raise ValueError(f"priority must be one of {', '.join(PRIORITIES)}")
    category = db.session.query(Category).filter_by(code=code).one_or_none() or Category(code=code)
    category.field, category.name_vi, category.name_en = field, name_vi, name_en
    category.default_priority, category.active, category.sort_order = priority, active, sort_order
    db.session.add(category)
    return category


def seed_demo_categories() -> int:
    for order, (code, field, vi, en, priority) in enumerate(DEMO_CATEGORIES):
        upsert_category(code, field, vi, en, priority, True, order)
    db.session.flush()
    return len(DEMO_CATEGORIES)


class ActiveCategory(NamedTuple):
    id: int
    code: str
    field: str
    default_priority: str


# Built once, read through store.read: every submission asks (the ORM's query object and entity loading,
# then Core's result set-up, cost more than the statement; bench/submit.py).
_columns = Category.__table__.c
_ACTIVE_BY_CODE = select(_columns.id, _columns.code, _columns.field, _columns.default_priority).where(
    _columns.code == bindparam("code"), _columns.active)


def active_category(code: str | None) -> ActiveCategory | None:
    """The active category of ``code`` (its id, code, field and default priority), or None."""
    rows = autocommit_read(_ACTIVE_BY_CODE, {"code": code}, prepared=True)
    return ActiveCategory(**rows[0]) if rows else None


def active_categories() -> list[Category]:
    return db.session.query(Category).filter_by(active=True).order_by(Category.sort_order, Category.code).all()

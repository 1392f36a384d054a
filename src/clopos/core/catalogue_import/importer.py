"""Importing a brand's catalogue from a YAML/JSON document, atomically.

Two passes: first every entry gets its id (explicit ids are checked and reserved, the rest
allocated) and its name is registered, so any entry may refer to any other wherever it sits in
the file; then rows are written in foreign-key order. The caller owns the transaction: on an
`ImportFailure` nothing must be committed.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml
from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from clopos.core import tables
from clopos.core.catalogue_import.format import (
    CatalogueFile,
    CategoryIn,
    Ref,
)
from clopos.core.customers import service as customer_service
from clopos.core.errors import Invalid
from clopos.core.finance import ledger
from clopos.store.sequences import next_ids, reserve_id


class ImportFailure(Invalid):
    """The document is invalid; the message names the offending entry."""


def load_document(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON file (JSON is YAML, but orjson gives better JSON errors)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ImportFailure(f"cannot read {path}: {error.strerror}") from None
    try:
        data = orjson.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (orjson.JSONDecodeError, yaml.YAMLError) as error:
        raise ImportFailure(
            f"{path.name} is not valid {path.suffix.lstrip('.')}: {error}"
        ) from None
    if not isinstance(data, dict):
        raise ImportFailure(f"{path.name} must hold a mapping of sections (units, products, ...)")
    return data


def parse_document(data: dict[str, Any]) -> CatalogueFile:
    try:
        return CatalogueFile.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        raise ImportFailure(f"{_where(data, first['loc'])}: {first['msg']}") from None


def _where(data: Any, location: Sequence[Any]) -> str:
    """`products[3] (Latte).price`: the path, with the entry's name where it has one."""
    text, node = "", data
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("name") or node.get("username"), str):
                text += f" ({node.get('name') or node.get('username')})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text or "document"


@dataclass
class _Kind:
    """The ids and names of one kind of row: the brand's existing ones plus the file's."""

    label: str
    plural: str
    ids: set[int] = field(default_factory=set)
    names: dict[str, list[int]] = field(default_factory=dict)

    def add(self, row_id: int, name: str) -> None:
        self.ids.add(row_id)
        self.names.setdefault(name.casefold(), []).append(row_id)

    def resolve(self, ref: Ref, where: str) -> int:
        if isinstance(ref, int):
            if ref not in self.ids:
                raise ImportFailure(f"{where}: no {self.label} with id {ref}")
            return ref
        found = self.names.get(ref.casefold(), [])
        if not found:
            raise ImportFailure(f"{where}: no {self.label} named '{ref}'")
        if len(found) > 1:
            raise ImportFailure(
                f"{where}: {len(found)} {self.plural} are named '{ref}'; refer to it by id"
            )
        return found[0]


_TABLES: dict[str, Any] = {
    "units": tables.Unit,
    "taxes": tables.Tax,
    "tags": tables.Tag,
    "stations": tables.Station,
    "categories": tables.Category,
    "modifier_groups": tables.ModifierGroup,
    "modifiers": tables.Modifier,
    "products": tables.Product,
    "packages": tables.Package,
    "product_codes": tables.ProductCode,
    "payment_methods": tables.PaymentMethod,
    "sale_types": tables.SaleType,
    "price_lists": tables.PriceList,
    "price_list_prices": tables.PriceListPrice,
    "customer_groups": tables.CustomerGroup,
    "customers": tables.Customer,
    "users": tables.User,
}
_NAMED = (
    "units",
    "taxes",
    "tags",
    "stations",
    "categories",
    "modifier_groups",
    "products",
    "payment_methods",
    "sale_types",
    "price_lists",
    "customer_groups",
    "customers",
    "users",
)

_LABELS = {"taxes": "tax", "categories": "category"}


def _flatten(
    categories: list[CategoryIn], prefix: str
) -> Iterator[tuple[str, CategoryIn, str | None]]:
    """Every category with its path in the file and the path of its enclosing entry."""
    for index, category in enumerate(categories):
        where = f"{prefix}[{index}] ({category.name})"
        yield where, category, None
        for child_where, child, parent in _flatten(category.children, f"{where}.children"):
            yield child_where, child, parent or where


class _Importer:
    def __init__(self, session: Session, brand_id: int, document: CatalogueFile) -> None:
        self.session = session
        self.brand_id = brand_id
        self.doc = document
        self.kinds = {
            name: _Kind(_LABELS.get(name, name[:-1].replace("_", " ")), name.replace("_", " "))
            for name in _NAMED
        }
        self.ids: dict[str, int] = {}  # file path of an entry -> its id
        self.created: Counter[str] = Counter()

    def run(self) -> dict[str, int]:
        self._load_existing()
        self._assign_ids()
        self._write()
        return {kind: self.created[kind] for kind in _TABLES if self.created[kind]}

    def _load_existing(self) -> None:
        for kind in _NAMED:
            model = _TABLES[kind]
            label = model.username if kind == "users" else model.name
            rows = self.session.execute(
                select(model.id, label).where(model.brand_id == self.brand_id)
            )
            for row_id, name in rows:
                self.kinds[kind].add(row_id, name)

    def _entries(self) -> Iterator[tuple[str, str, Any, str]]:
        """(kind, where, entry, name) for every entry that owns an id, in file order."""
        doc = self.doc
        simple: list[tuple[str, Sequence[Any]]] = [
            ("units", doc.units),
            ("taxes", doc.taxes),
            ("tags", doc.tags),
            ("stations", doc.stations),
            ("modifier_groups", doc.modifier_groups),
            ("payment_methods", doc.payment_methods),
            ("sale_types", doc.sale_types),
            ("price_lists", doc.price_lists),
            ("customer_groups", doc.customer_groups),
            ("customers", doc.customers),
            ("users", doc.users),
        ]
        for kind, entries in simple:
            for index, entry in enumerate(entries):
                name = entry.username if kind == "users" else entry.name
                yield kind, f"{kind}[{index}] ({name})", entry, name
        for where, category, _ in _flatten(doc.categories, "categories"):
            yield "categories", where, category, category.name
        for index, product in enumerate(doc.products):
            where = f"products[{index}] ({product.name})"
            yield "products", where, product, product.name
            for number, variant in enumerate(product.variants):
                full_name = f"{product.name} {variant.name}"
                yield "products", f"{where}.variants[{number}] ({variant.name})", variant, full_name
        for index, group in enumerate(doc.modifier_groups):
            for number, modifier in enumerate(group.modifiers):
                where = f"modifier_groups[{index}] ({group.name}).modifiers[{number}]"
                yield "modifiers", f"{where} ({modifier.name})", modifier, modifier.name

    def _assign_ids(self) -> None:
        entries = list(self._entries())
        explicit: dict[str, int] = {}
        chosen: dict[str, set[int]] = {}
        for kind, where, entry, _ in entries:
            if entry.id is None:
                continue
            if entry.id in chosen.setdefault(kind, set()) or self._exists(kind, entry.id):
                raise ImportFailure(f"{where}: id {entry.id} is already taken")
            chosen[kind].add(entry.id)
            self.ids[where] = entry.id
            explicit[kind] = max(explicit.get(kind, 0), entry.id)
        for kind, highest in explicit.items():
            reserve_id(self.session, self.brand_id, kind, highest)
        for kind, where, _entry, name in entries:
            if where not in self.ids:
                self.ids[where] = next_ids(self.session, self.brand_id, kind)
            if kind in self.kinds:
                self.kinds[kind].add(self.ids[where], name)

    def _exists(self, kind: str, row_id: int) -> bool:
        model = _TABLES[kind]
        found = self.session.scalar(
            select(model.id).where(model.brand_id == self.brand_id, model.id == row_id)
        )
        return found is not None

    def _ref(self, kind: str, ref: Ref | None, where: str) -> int | None:
        return None if ref is None else self.kinds[kind].resolve(ref, where)

    def _add(self, kind: str, row: Any) -> None:
        self.session.add(row)
        self.created[kind] += 1

    def _write(self) -> None:
        self._units()
        for index, tax in enumerate(self.doc.taxes):
            where = f"taxes[{index}] ({tax.name})"
            fields = tax.model_dump(exclude={"id", "sale_types"})
            fields["sale_type_ids"] = [
                self.kinds["sale_types"].resolve(ref, f"{where}.sale_types[{number}]")
                for number, ref in enumerate(tax.sale_types)
            ]
            self._add(
                "taxes",
                tables.Tax(
                    brand_id=self.brand_id, id=self.ids[f"taxes[{index}] ({tax.name})"], **fields
                ),
            )
        for index, tag in enumerate(self.doc.tags):
            self._add(
                "tags",
                tables.Tag(
                    brand_id=self.brand_id,
                    id=self.ids[f"tags[{index}] ({tag.name})"],
                    name=tag.name,
                ),
            )
        for index, station in enumerate(self.doc.stations):
            fields = station.model_dump(exclude={"id"})
            self._add(
                "stations",
                tables.Station(
                    brand_id=self.brand_id,
                    id=self.ids[f"stations[{index}] ({station.name})"],
                    **fields,
                ),
            )
        self._categories()
        self._products()
        self._modifier_groups()
        self._product_links()
        self._sales()
        self._price_lists()
        self._customers()
        for index, user in enumerate(self.doc.users):
            where = f"users[{index}] ({user.username})"
            self._add(
                "users",
                tables.User(
                    brand_id=self.brand_id, id=self.ids[where], **user.model_dump(exclude={"id"})
                ),
            )
        self.session.flush()

    def _units(self) -> None:
        parents = []
        for index, unit in enumerate(self.doc.units):
            where = f"units[{index}] ({unit.name})"
            row = tables.Unit(
                brand_id=self.brand_id,
                id=self.ids[where],
                **unit.model_dump(exclude={"id", "parent"}),
            )
            self._add("units", row)
            parents.append((row.id, self._ref("units", unit.parent, f"{where}.parent")))
        self._link_parents(tables.Unit, parents)

    def _link_parents(self, model: Any, links: list[tuple[int, int | None]]) -> None:
        """Parents are set after every row exists, so a child may precede its parent."""
        self.session.flush()
        for row_id, parent_id in links:
            if parent_id is not None:
                if parent_id == row_id:
                    raise ImportFailure(f"{model.__tablename__} {row_id} cannot be its own parent")
                self.session.execute(
                    update(model)
                    .where(model.brand_id == self.brand_id, model.id == row_id)
                    .values(parent_id=parent_id)
                )

    def _categories(self) -> None:
        links = []
        for where, category, enclosing in _flatten(self.doc.categories, "categories"):
            if enclosing is not None and category.parent is not None:
                raise ImportFailure(f"{where}: a nested category cannot also name a parent")
            parent = (
                self.ids[enclosing]
                if enclosing
                else self._ref("categories", category.parent, f"{where}.parent")
            )
            fields = category.model_dump(exclude={"id", "parent", "children"})
            slug = "-".join(category.name.lower().split())
            self._add(
                "categories",
                tables.Category(brand_id=self.brand_id, id=self.ids[where], slug=slug, **fields),
            )
            links.append((self.ids[where], parent))
        self._link_parents(tables.Category, links)

    @property
    def venue_ids(self) -> set[int]:
        return set(
            self.session.scalars(
                select(tables.Venue.id).where(tables.Venue.brand_id == self.brand_id)
            )
        )

    def _products(self) -> None:
        variants = []
        for index, product in enumerate(self.doc.products):
            where = f"products[{index}] ({product.name})"
            fields = product.model_dump(
                exclude={
                    "id",
                    "cid",
                    "category",
                    "station",
                    "unit",
                    "taxes",
                    "tags",
                    "modifier_groups",
                    "recipe",
                    "packages",
                    "variants",
                    "codes",
                    "setting",
                }
            )
            for number, override in enumerate(product.venues):
                if override.venue_id not in self.venue_ids:
                    raise ImportFailure(
                        f"{where}.venues[{number}].venue_id: the brand has no venue"
                        f" {override.venue_id}"
                    )
            setting = product.setting.model_dump(by_alias=True) if product.setting else None
            row = tables.Product(
                brand_id=self.brand_id,
                id=self.ids[where],
                cid=str(product.cid or uuid.uuid4()),
                category_id=self._ref("categories", product.category, f"{where}.category"),
                station_id=self._ref("stations", product.station, f"{where}.station"),
                unit_id=self._ref("units", product.unit, f"{where}.unit"),
                setting=setting,
                **fields,
            )
            self._add("products", row)
            for number, variant in enumerate(product.variants):
                variant_where = f"{where}.variants[{number}] ({variant.name})"
                variants.append((variant_where, variant, row))
        self.session.flush()
        for where, variant, parent in variants:
            fields = variant.model_dump(exclude={"id", "cid", "codes"})
            self._add(
                "products",
                tables.Product(
                    brand_id=self.brand_id,
                    id=self.ids[where],
                    cid=str(variant.cid or uuid.uuid4()),
                    parent_id=parent.id,
                    type="MODIFICATION",
                    category_id=parent.category_id,
                    station_id=parent.station_id,
                    unit_id=parent.unit_id,
                    discountable=parent.discountable,
                    giftable=parent.giftable,
                    **fields,
                ),
            )
        self.session.flush()

    def _modifier_groups(self) -> None:
        for index, group in enumerate(self.doc.modifier_groups):
            where = f"modifier_groups[{index}] ({group.name})"
            fields = group.model_dump(exclude={"id", "modifiers"})
            self._add(
                "modifier_groups",
                tables.ModifierGroup(brand_id=self.brand_id, id=self.ids[where], **fields),
            )
        self.session.flush()  # without ORM relationships, flush order is ours to keep
        for index, group in enumerate(self.doc.modifier_groups):
            where = f"modifier_groups[{index}] ({group.name})"
            for number, modifier in enumerate(group.modifiers):
                modifier_where = f"{where}.modifiers[{number}] ({modifier.name})"
                ingredient = self._ref(
                    "products", modifier.ingredient, f"{modifier_where}.ingredient"
                )
                self._add(
                    "modifiers",
                    tables.Modifier(
                        brand_id=self.brand_id,
                        id=self.ids[modifier_where],
                        group_id=self.ids[where],
                        ingredient_id=ingredient,
                        **modifier.model_dump(exclude={"id", "ingredient"}),
                    ),
                )
        self.session.flush()

    def _product_links(self) -> None:
        for index, product in enumerate(self.doc.products):
            where = f"products[{index}] ({product.name})"
            product_id = self.ids[where]
            for position, ref in enumerate(product.modifier_groups):
                group_id = self.kinds["modifier_groups"].resolve(
                    ref, f"{where}.modifier_groups[{position}]"
                )
                self.session.add(
                    tables.ProductModifierGroup(
                        brand_id=self.brand_id,
                        product_id=product_id,
                        modifier_group_id=group_id,
                        position=position,
                    )
                )
            for number, ref in enumerate(dict.fromkeys(product.taxes)):
                tax_id = self.kinds["taxes"].resolve(ref, f"{where}.taxes[{number}]")
                self.session.add(
                    tables.ProductTax(brand_id=self.brand_id, product_id=product_id, tax_id=tax_id)
                )
            for number, ref in enumerate(dict.fromkeys(product.tags)):
                tag_id = self.kinds["tags"].resolve(ref, f"{where}.tags[{number}]")
                self.session.add(
                    tables.ProductTag(brand_id=self.brand_id, product_id=product_id, tag_id=tag_id)
                )
            seen: set[int] = set()
            for number, line in enumerate(product.recipe):
                line_where = f"{where}.recipe[{number}]"
                ingredient_id = self.kinds["products"].resolve(
                    line.ingredient, f"{line_where}.ingredient"
                )
                if ingredient_id == product_id or ingredient_id in seen:
                    raise ImportFailure(f"{line_where}: ingredient repeated or the product itself")
                seen.add(ingredient_id)
                self.session.add(
                    tables.RecipeItem(
                        brand_id=self.brand_id,
                        dish_id=product_id,
                        ingredient_id=ingredient_id,
                        gross=line.gross,
                        net=line.net,
                        net_put=line.net_put,
                    )
                )
            for package in product.packages:
                package_id = next_ids(self.session, self.brand_id, "packages")
                self._add(
                    "packages",
                    tables.Package(
                        brand_id=self.brand_id,
                        id=package_id,
                        product_id=product_id,
                        name=package.name,
                        equal=package.equal,
                    ),
                )
            owners = [(product_id, product)] + [
                (self.ids[f"{where}.variants[{n}] ({v.name})"], v)
                for n, v in enumerate(product.variants)
            ]
            for owner_id, owner in owners:
                for code in dict.fromkeys(
                    [*([owner.barcode] if owner.barcode else []), *owner.codes]
                ):
                    code_id = next_ids(self.session, self.brand_id, "product_codes")
                    self._add(
                        "product_codes",
                        tables.ProductCode(
                            brand_id=self.brand_id, id=code_id, product_id=owner_id, code=code
                        ),
                    )
        self.session.flush()

    def _sales(self) -> None:
        for index, method in enumerate(self.doc.payment_methods):
            where = f"payment_methods[{index}] ({method.name})"
            self._add(
                "payment_methods",
                tables.PaymentMethod(
                    brand_id=self.brand_id, id=self.ids[where], **method.model_dump(exclude={"id"})
                ),
            )
            account = method.balance
            if account is not None and account.id is not None:
                # Customers' balance accounts take ids after the methods' accounts.
                reserve_id(self.session, self.brand_id, "balances", account.id)
                if self.session.get(tables.Balance, (self.brand_id, account.id)) is None:
                    # The account money moves on when a receipt is paid with the method.
                    self.session.add(
                        tables.Balance(
                            brand_id=self.brand_id,
                            id=account.id,
                            name=account.name or account.type or method.name,
                            type=account.type or "CASH",
                            system_type=account.system_type,
                            amount=account.amount,
                            position=account.position,
                        )
                    )
                    self.session.flush()
        ledger.system_categories(self.session, self.brand_id)
        self.session.flush()
        for index, sale_type in enumerate(self.doc.sale_types):
            where = f"sale_types[{index}] ({sale_type.name})"
            method_id = self._ref(
                "payment_methods", sale_type.payment_method, f"{where}.payment_method"
            )
            fields = sale_type.model_dump(exclude={"id", "payment_method"})
            fields["channel"] = fields["channel"] or sale_type.system_type
            self._add(
                "sale_types",
                tables.SaleType(
                    brand_id=self.brand_id,
                    id=self.ids[where],
                    payment_method_id=method_id,
                    **fields,
                ),
            )

    def _price_lists(self) -> None:
        for index, price_list in enumerate(self.doc.price_lists):
            where = f"price_lists[{index}] ({price_list.name})"
            list_id = self.ids[where]
            self._add(
                "price_lists",
                tables.PriceList(
                    brand_id=self.brand_id,
                    id=list_id,
                    **price_list.model_dump(exclude={"id", "prices"}),
                ),
            )
            self.session.flush()
            seen: set[int] = set()
            for number, price in enumerate(price_list.prices):
                price_where = f"{where}.prices[{number}]"
                product_id = self.kinds["products"].resolve(price.product, f"{price_where}.product")
                if product_id in seen:
                    raise ImportFailure(f"{price_where}: the product is priced twice in this list")
                seen.add(product_id)
                if price.id is not None:
                    if self._exists("price_list_prices", price.id):
                        raise ImportFailure(f"{price_where}: id {price.id} is already taken")
                    reserve_id(self.session, self.brand_id, "price_list_prices", price.id)
                    price_id = price.id
                else:
                    price_id = next_ids(self.session, self.brand_id, "price_list_prices")
                self._add(
                    "price_list_prices",
                    tables.PriceListPrice(
                        brand_id=self.brand_id,
                        id=price_id,
                        list_id=list_id,
                        product_id=product_id,
                        price=price.price,
                    ),
                )
        self.session.flush()

    def _customers(self) -> None:
        venues = set(
            self.session.scalars(
                select(tables.Venue.id).where(tables.Venue.brand_id == self.brand_id)
            )
        )
        for index, group in enumerate(self.doc.customer_groups):
            where = f"customer_groups[{index}] ({group.name})"
            self._add(
                "customer_groups",
                tables.CustomerGroup(
                    brand_id=self.brand_id, id=self.ids[where], **group.model_dump(exclude={"id"})
                ),
            )
        self.session.flush()
        unique: dict[str, dict[str, str]] = {"phone": {}, "code": {}, "cid": {}}
        for index, customer in enumerate(self.doc.customers):
            where = f"customers[{index}] ({customer.name})"
            cid = str(customer.cid or uuid.uuid4())
            values = {"phone": customer.phone, "code": customer.code, "cid": cid}
            for name, value in values.items():
                if value is None:
                    continue
                column = getattr(tables.Customer, name)
                other = unique[name].get(value) or self.session.scalar(
                    select(tables.Customer.name).where(
                        tables.Customer.brand_id == self.brand_id, column == value
                    )
                )
                if other is not None:
                    raise ImportFailure(f"{where}: {name} {value} already belongs to {other}")
                unique[name][value] = where
            if customer.venue_id is not None and customer.venue_id not in venues:
                raise ImportFailure(
                    f"{where}.venue_id: the brand has no venue {customer.venue_id}"
                    f" (it has {', '.join(map(str, sorted(venues))) or 'none'})"
                )
            fields = customer.model_dump(
                exclude={"id", "cid", "group", "phones", "date_of_birth", "venue_id"}
            )
            group_id = (
                self._ref("customer_groups", customer.group, f"{where}.group")
                if customer.group is not None
                else customer_service.system_group_id(self.session, self.brand_id)
            )
            phones = list(
                dict.fromkeys([*([customer.phone] if customer.phone else []), *customer.phones])
            )
            birthday = customer.date_of_birth.isoformat() if customer.date_of_birth else None
            self._add(
                "customers",
                tables.Customer(
                    brand_id=self.brand_id,
                    id=self.ids[where],
                    cid=cid,
                    phones=phones,
                    date_of_birth=birthday,
                    group_id=group_id,
                    venue_id=customer.venue_id if customer.venue_id else min(venues, default=None),
                    **customer_service.open_balances(self.session, self.brand_id),
                    **fields,
                ),
            )


def import_catalogue(session: Session, brand_id: int, document: CatalogueFile) -> dict[str, int]:
    """Write `document` into the brand inside the caller's transaction; answers counts per kind."""
    return _Importer(session, brand_id, document).run()

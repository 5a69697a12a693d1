from onestop.catalog.models.items import Material, ServiceItem
from onestop.catalog.models.taxonomy import DepartmentAlias, HallCategory, Theme

__all__ = ["DepartmentAlias", "HallCategory", "Material", "ServiceItem", "Theme"]

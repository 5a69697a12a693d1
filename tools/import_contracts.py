"""An import-linter contract for the rule `docs/adding-an-app.md` states: an app reaches
another app only through that app's public modules.

    [[tool.importlinter.contracts]]
    type = "public_modules"
    apps = ["onestop.identity", "onestop.hall", ...]
    public = ["services", "selectors", "policies", "enums", "hooks"]

An import from one listed app into another must land in one of the `public` modules (or a
package of that name) of the imported app, or in a module listed in `also_public`. Imports
within an app, from tests (`ignore_imports`), and of apps not listed are not checked.
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils


class PublicModulesContract(Contract):
    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    also_public = fields.ListField(subfield=fields.StringField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)

    def _app_of(self, module: str) -> str | None:
        for app in self.apps:  # type: ignore[attr-defined]
            if module == app or module.startswith(app + "."):
                return str(app)
        return None

    def _is_public(self, module: str, app: str) -> bool:
        if module in set(self.also_public or ()):  # type: ignore[attr-defined]
            return True
        rest = module[len(app) + 1 :].split(".")
        return bool(rest[0]) and rest[0] in set(self.public)  # type: ignore[attr-defined]

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=contract_utils.AlertLevel.NONE,
        )
        broken: list[tuple[str, str]] = []
        for importer in sorted(graph.modules):
            source_app = self._app_of(importer)
            if source_app is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target_app = self._app_of(imported)
                if target_app is None or target_app == source_app:
                    continue
                if not self._is_public(imported, target_app):
                    broken.append((importer, imported))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported in check.metadata["broken"]:
            output.print_error(f"{importer} imports {imported}, which is not public")
            output.new_line()

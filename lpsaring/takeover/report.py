"""What one import did: counts per table, every rejected row with its reason, remaining bytes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    dry_run: bool = False
    source: Counter = field(default_factory=Counter)
    imported: Counter = field(default_factory=Counter)
    already: Counter = field(default_factory=Counter)
    rejected: list[dict] = field(default_factory=list)
    actions: dict[str, int] = field(default_factory=dict)
    staff_links: int = 0
    remaining_flask: int = 0
    remaining_ours: int = 0

    def reject(self, table: str, source_id, reason: str, detail: str = "") -> None:
        self.rejected.append({"table": table, "id": str(source_id), "reason": reason, "detail": detail})

    def rejected_count(self, table: str) -> int:
        return sum(1 for row in self.rejected if row["table"] == table)

    @property
    def balanced(self) -> bool:
        return self.remaining_flask == self.remaining_ours

    def lines(self) -> list[str]:
        head = "DRY RUN (nothing written): " if self.dry_run else ""
        out = [f"{head}table: source / imported / already imported / rejected"]
        for table in self.source:
            out.append(
                f"  {table}: {self.source[table]} / {self.imported[table]} / {self.already[table]}"
                f" / {self.rejected_count(table)}"
            )
        out.append(f"staff password-reset links sent: {self.staff_links}")
        out.append(f"admin action log (summary): {json.dumps(self.actions, sort_keys=True)}")
        out.append(
            f"remaining bytes of the residents taken: Flask {self.remaining_flask}, "
            f"lpsaring {self.remaining_ours} ({'equal' if self.balanced else 'DIFFERENT'})"
        )
        out.append(f"rejected rows: {len(self.rejected)}")
        out += [f"  {r['table']} {r['id']}: {r['reason']} {r['detail']}".rstrip() for r in self.rejected]
        return out

    def as_json(self) -> str:
        return json.dumps(
            {
                "dry_run": self.dry_run,
                "tables": {
                    t: {
                        "source": self.source[t],
                        "imported": self.imported[t],
                        "already": self.already[t],
                        "rejected": self.rejected_count(t),
                    }
                    for t in self.source
                },
                "rejected": self.rejected,
                "admin_actions": self.actions,
                "remaining_bytes": {"flask": self.remaining_flask, "lpsaring": self.remaining_ours},
            },
            indent=2,
            sort_keys=True,
        )

"""What the apps' extension points share: named slots in an app's templates
where the apps above it include their own templates, so that the lower app
never imports them (see campaigns.extensions, ideas.extensions)."""


class TemplateSlots:
    """Each slot holds template names in the order they were registered; a
    template registered twice in a slot appears once."""

    def __init__(self, *slots: str):
        self.names = slots
        self._templates: dict[str, list[str]] = {slot: [] for slot in slots}

    def register(self, slot: str, template_name: str) -> None:
        if slot not in self._templates:
            raise ValueError(f"unknown slot {slot!r}; slots are {', '.join(self.names)}")
        if template_name not in self._templates[slot]:
            self._templates[slot].append(template_name)

    def unregister(self, slot: str, template_name: str) -> None:
        if template_name in self._templates.get(slot, []):
            self._templates[slot].remove(template_name)

    def templates(self, slot: str) -> list[str]:
        return list(self._templates.get(slot, []))

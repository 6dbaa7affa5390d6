"""How the apps above accounts add to a person's pages without accounts
importing them.

Profile links — "My ideas", "My prizes" — registered from a higher app's
`AppConfig.ready()` and listed on the profile page, in registration order:

    from accounts.extensions import register_profile_link
    register_profile_link("ideas:mine", _("My ideas"))
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileLink:
    url_name: str
    label: str


_profile_links: list[ProfileLink] = []


def register_profile_link(url_name: str, label) -> None:
    if all(link.url_name != url_name for link in _profile_links):
        _profile_links.append(ProfileLink(url_name, label))


def profile_links() -> list[ProfileLink]:
    return list(_profile_links)

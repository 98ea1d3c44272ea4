"""Plausible Ontario names for demo partners, unique within one plan.

>>> import random
>>> names = NameMaker(random.Random(1))
>>> person, shop = names.person(), names.company("clinic")
>>> person != shop and " " in person
True
"""

FIRST = (
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Charlotte",
    "William",
    "Amelia",
    "Lucas",
    "Ava",
    "Benjamin",
    "Sophia",
    "Jacob",
    "Mia",
    "Ethan",
    "Chloe",
    "Arjun",
    "Priya",
    "Wei",
    "Mei",
    "Omar",
    "Fatima",
    "Jean",
    "Marie",
    "Gurpreet",
    "Harjit",
    "Luca",
    "Giulia",
    "Tomasz",
    "Anna",
    "Kwame",
    "Ama",
    "Diego",
    "Sofia",
    "Raj",
    "Nadia",
)
LAST = (
    "Smith",
    "Brown",
    "Tremblay",
    "Martin",
    "Roy",
    "Wilson",
    "MacDonald",
    "Gagnon",
    "Johnson",
    "Taylor",
    "Singh",
    "Patel",
    "Chen",
    "Wong",
    "Nguyen",
    "Li",
    "Kowalski",
    "Rossi",
    "Gill",
    "Sandhu",
    "Khan",
    "Ahmed",
    "Campbell",
    "Anderson",
    "Leblanc",
    "Cote",
    "Bouchard",
    "Stewart",
    "Clarke",
    "Murphy",
    "O'Brien",
    "Dubois",
    "Mensah",
)
PLACES = (
    "Toronto",
    "Ottawa",
    "Hamilton",
    "Kitchener",
    "London",
    "Windsor",
    "Oshawa",
    "Barrie",
    "Guelph",
    "Kingston",
    "Sudbury",
    "Peterborough",
    "Brampton",
    "Mississauga",
    "Markham",
    "Oakville",
    "Burlington",
    "Waterloo",
    "Niagara",
)
KINDS = {
    "clinic": ("Physiotherapy", "Rehab Clinic", "Home Care", "Seniors Residence", "Medical Centre", "Pharmacy"),
    "vendor": (
        "Medical Supply",
        "Mobility Wholesale",
        "Hydro",
        "Office Supplies",
        "Logistics",
        "Insurance",
        "Telecom",
        "Property Management",
        "Cleaning Services",
        "IT Services",
    ),
}
SUFFIXES = ("Inc.", "Ltd.", "Corp.", "LLP", "Co.")


class NameMaker:
    """Draws names from ``rng``; a name already given gets a number appended."""

    def __init__(self, rng):
        self.rng = rng
        self.given = set()

    def _unique(self, name):
        candidate, n = name, 1
        while candidate in self.given:
            n += 1
            candidate = f"{name} {n}"
        self.given.add(candidate)
        return candidate

    def person(self):
        return self._unique(f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}")

    def company(self, kind):
        place, what = self.rng.choice(PLACES), self.rng.choice(KINDS[kind])
        return self._unique(f"{place} {what} {self.rng.choice(SUFFIXES)}")

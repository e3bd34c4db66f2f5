"""Data rights: export and import an organisation whole, erase a person, delete an organisation."""

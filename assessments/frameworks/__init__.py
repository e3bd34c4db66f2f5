"""The versioned bilingual framework data files and their loader."""

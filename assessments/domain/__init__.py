"""Pure scoring domain of cxgov: no Django, no clock, no settings, no I/O."""

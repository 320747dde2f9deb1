"""cascade: trace how a government work plan cascades down the administrative ladder."""
__version__ = "0.1.0"

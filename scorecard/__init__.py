"""scorecard: accountability scorecards from demands.yaml and responses.yaml."""

__version__ = "0.1.0"

"""The organization config: typed model, loader and rules. See docs/configuration.md."""

from config.errors import ConfigError, Problem, Severity
from config.loader import DEFAULT_CONFIG, Loaded, load
from config.model import LandingZoneConfig
from config.stack import StackSettings, load_stack, read_stack_file

__all__ = ["DEFAULT_CONFIG", "ConfigError", "LandingZoneConfig", "Loaded", "Problem",
           "Severity", "StackSettings", "load", "load_stack", "read_stack_file"]

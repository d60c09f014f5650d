"""No models: this app only holds commands and code."""

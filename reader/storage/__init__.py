"""Where things are kept: user directories, the config file, atomic writes."""

"""The `yakkan` command: commands and the rendering of every report for the terminal."""

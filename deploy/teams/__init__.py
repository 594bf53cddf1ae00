"""The Microsoft Teams app package of Reggi: manifest template, icons, and the zip builder."""

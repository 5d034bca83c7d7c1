"""Product warnings an agency publishes: drafted by one person, public once a second approves,
withdrawn with the reason kept."""

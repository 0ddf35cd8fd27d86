"""督导抽查: the stream leads' spot-checks of what departments report done, before 销号."""

"""Editing the campaign files from the command line: yamltext.py changes a YAML file's text
precisely (it knows no campaign); campaign.py holds the edits (add a response, link, unlink,
set a status by hand)."""

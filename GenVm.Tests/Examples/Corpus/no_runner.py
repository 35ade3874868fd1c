print('never printed')

# Corpus (contract-corpus.md §2.13 no_runner; runners.md §2): text code that does not start with a comment has no
# runner description, so there is no runner to start it.
exit(0)

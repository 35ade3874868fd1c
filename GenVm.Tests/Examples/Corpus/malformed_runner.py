# { "Seq": [ { "Depends": "py-genlayer:test" }, { "Unknown": "action" } ] }

# Corpus (contract-corpus.md §2.13 malformed_runner; runners.md §2, §4): the header is JSON but holds an action that
# does not exist, so the runner description does not parse and the contract never starts.
print('never printed')
exit(0)

"""Search over the loaded content: what is searchable (passages), how a reader's query is read
(query), and the in-memory index each worker builds per content revision to answer it (index)."""

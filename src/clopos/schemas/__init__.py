"""Wire models shared by the server and the client: one module a resource."""

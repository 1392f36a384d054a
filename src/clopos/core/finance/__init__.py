"""Finance: balances (cash and bank accounts), money movements, finance categories, taxes
as receipts charge them, and the venue's cash shifts."""

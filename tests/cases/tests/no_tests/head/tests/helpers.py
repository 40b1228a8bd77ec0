def make_customer(customer_id: int) -> dict[str, object]:
    return {"customer_id": customer_id, "email": f"c{customer_id}@example.com"}

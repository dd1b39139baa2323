"""Credit reports: issuing them and verifying them."""

"""What happens to a report: intake, the resident's and the ward's actions, deadlines."""

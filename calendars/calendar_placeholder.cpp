// Replaced by the calendar engine (issue 3).

"""One module per question type; ``courses.questions.registry`` lists them."""

pub struct Input;

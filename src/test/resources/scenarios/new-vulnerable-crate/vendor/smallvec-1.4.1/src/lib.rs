pub struct SmallVec;
